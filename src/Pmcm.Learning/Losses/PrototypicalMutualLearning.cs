using Pmcm.Learning.Networks;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Pmcm.Learning.Losses;

/// <summary>
/// PML, docs/method.md §3, step by step with the paper's names. Everything is vectorised over batch items,
/// classes and voxels (the reference loops over items and classes in Python).
/// Shapes: probabilities p (B, C, X, Y, Z), features (B, F, X, Y, Z), prototypes (…, C, F).
/// </summary>
public static class PrototypicalMutualLearning
{
    public const double EntropyEpsilon = 1e-6;
    public const double CountEpsilon = 1e-6;
    public const double CosineEpsilon = 1e-8;
    public const double MaskEpsilon = 1e-6;

    /// <summary>Step 1: u = −Σ_c p log(p + 1e-6); m = [u_student &gt; u_teacher] per voxel, (B, X, Y, Z).</summary>
    public static Tensor UncertaintyMask(Tensor studentProbs, Tensor teacherProbs) =>
        UncertaintyMaskOf(Entropy(studentProbs), Entropy(teacherProbs));

    /// <summary>Step 1 from entropies already computed (each decoder's is needed by both pairs).</summary>
    public static Tensor UncertaintyMaskOf(Tensor studentEntropy, Tensor teacherEntropy) =>
        studentEntropy.gt(teacherEntropy).to_type(studentEntropy.dtype);

    public static Tensor Entropy(Tensor probs) => -(probs * (probs + EntropyEpsilon).log()).sum(1);

    /// <summary>
    /// Step 2: per-sample class prototypes P[b, c] = Σ_v feat[b, :, v]·[ŷ = c] / (Σ_v [ŷ = c] + 1e-6), (B, C, F),
    /// from the teacher's hard prediction ŷ (B, X, Y, Z). Gradients reach the features.
    /// </summary>
    public static Tensor ClassPrototypes(Tensor features, Tensor hardPrediction, int classes)
    {
        var (b, f) = (features.shape[0], features.shape[1]);
        var oneHot = F.one_hot(hardPrediction.reshape(b, -1), classes).to_type(features.dtype); // (B, N, C)
        var sums = oneHot.transpose(1, 2).bmm(features.reshape(b, f, -1).transpose(1, 2));       // (B, C, F)
        var counts = oneHot.sum(1).unsqueeze(-1);                                                 // (B, C, 1)
        return sums / (counts + CountEpsilon);
    }

    /// <summary>Step 3: labeled and unlabeled prototypes, the means over the batch's two parts, each (C, F).</summary>
    public static (Tensor Labeled, Tensor Unlabeled) SplitPrototypes(Tensor prototypes, int labeledCount) =>
        (prototypes[..labeledCount].mean([0]), prototypes[labeledCount..].mean([0]));

    /// <summary>Step 3: unified prototype Q = (norm(Pl) + w·norm(Pu)) / (1 + w), norm = L2 along features.</summary>
    public static Tensor FusedPrototype(Tensor labeled, Tensor unlabeled, double w) =>
        (F.normalize(labeled, dim: -1) + w * F.normalize(unlabeled, dim: -1)) / (1 + w);

    /// <summary>
    /// Step 4: prototype map S[b, c, v] = cos(feat[b, :, v], Q[c]), (B, C, X, Y, Z). Computed as
    /// (Q̂ · feat) / max(|feat|, ε) so the unit features are never materialised.
    /// </summary>
    public static Tensor PrototypeMap(Tensor features, Tensor prototype)
    {
        var shape = features.shape;
        var (b, f) = (shape[0], shape[1]);
        var flat = features.reshape(b, f, -1);
        var unitPrototype = prototype / prototype.norm(1, keepdim: true).clamp_min(CosineEpsilon);
        var similarity = unitPrototype.matmul(flat) / flat.square().sum(1, keepdim: true).sqrt().clamp_min(CosineEpsilon); // (B, C, N)
        return similarity.reshape([b, prototype.shape[0], .. shape[2..]]);
    }

    /// <summary>Step 5: r = m · mean_c(1 − (S − p_teacher)²), (B, X, Y, Z).</summary>
    public static Tensor ReliabilityWeight(Tensor mask, Tensor prototypeMap, Tensor teacherProbs) =>
        (1 - (prototypeMap - teacherProbs).square()).mean([1]) * mask;

    /// <summary>
    /// Step 6: Σ_v CE(student, ŷ_teacher)·r / (Σ m + 1e-6), r detached. The reference feeds the student's
    /// probabilities to the cross-entropy as if they were logits (softmax twice, the default quirk);
    /// pass the student's logits instead for the corrected form.
    /// </summary>
    public static Tensor MutualCrossEntropy(Tensor studentInput, Tensor teacherHard, Tensor reliability, Tensor mask)
    {
        var ce = F.cross_entropy(studentInput, teacherHard, reduction: nn.Reduction.None);
        return (ce * reliability.detach()).sum() / (mask.sum() + MaskEpsilon);
    }

    /// <summary>
    /// Step 7, UAL: for each class c the logits [cos(Pu[c], Pl[c']) for all c'] with target c (the positive),
    /// cross-entropy averaged over classes, then divided by C. For C = 2 this is the reference's
    /// [positive, negative] rows with target 0.
    /// </summary>
    public static Tensor UnlabeledLabeledAlignment(Tensor labeled, Tensor unlabeled)
    {
        var classes = labeled.shape[0];
        var unitL = labeled / labeled.norm(1, keepdim: true).clamp_min(CosineEpsilon);
        var unitU = unlabeled / unlabeled.norm(1, keepdim: true).clamp_min(CosineEpsilon);
        var logits = unitU.matmul(unitL.t()); // [c, c'] = cos(Pu[c], Pl[c'])
        var targets = arange(classes, dtype: ScalarType.Int64, device: labeled.device);
        return F.cross_entropy(logits, targets) / classes;
    }

    /// <summary>
    /// Steps 1–7 for both ordered pairs (each decoder is the other's student), composed from the functions above;
    /// returns L_pml and L_ual summed over the pairs. The reference composition of the fused kernels
    /// (<see cref="Fused.FusedPrototypicalMutualLearning"/>), and the path for non-CPU or non-float32 tensors.
    /// </summary>
    /// <param name="correctCrossEntropy">On: the cross-entropy takes the student's logits; off: its probabilities (quirk).</param>
    public static (Tensor Pml, Tensor Ual) BothWays(DecoderOutput[] decoders, Tensor[] probs, int labeledCount, double fusionWeight, bool correctCrossEntropy)
    {
        Tensor? pml = null, ual = null;
        var classes = (int)probs[0].shape[1];
        // Entropy and hard prediction of each decoder serve both pairs (as student and as teacher).
        var entropy = probs.Select(p => Entropy(p)).ToArray();
        var hard = probs.Select(p => p.argmax(1)).ToArray();
        foreach (var (student, teacher) in new[] { (0, 1), (1, 0) })
        {
            var mask = UncertaintyMaskOf(entropy[student], entropy[teacher]);
            var teacherHard = hard[teacher];
            var prototypes = ClassPrototypes(decoders[teacher].Features, teacherHard, classes);
            var (labeled, unlabeled) = SplitPrototypes(prototypes, labeledCount);
            var fused = FusedPrototype(labeled, unlabeled, fusionWeight);
            var map = PrototypeMap(decoders[teacher].Features, fused);
            var reliability = ReliabilityWeight(mask, map, probs[teacher]);
            var studentInput = correctCrossEntropy ? decoders[student].Seg : probs[student];
            var mutual = MutualCrossEntropy(studentInput, teacherHard, reliability, mask);
            var alignment = UnlabeledLabeledAlignment(labeled, unlabeled);
            pml = pml is null ? mutual : pml + mutual;
            ual = ual is null ? alignment : ual + alignment;
        }
        return (pml!, ual!);
    }
}
